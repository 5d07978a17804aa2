/** An error meant for the user: its message says what went wrong and, where known, the reason code. */
export class MqttError extends Error {
  constructor(
    message: string,
    readonly reasonCode?: number,
  ) {
    super(message);
    this.name = 'MqttError';
  }
}
