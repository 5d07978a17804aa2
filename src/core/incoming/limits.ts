/** What the incoming guard lets through, and what it says about a message it cut. */
export interface IncomingLimits {
  /** The largest packet accepted, fixed header included (MQTT 5 Maximum Packet Size). */
  maxPacketBytes: number;
  /** User properties and subscription identifiers kept per message. */
  maxProperties: number;
  /** Bytes of properties kept per message. */
  maxPropertyBytes: number;
  /**
   * The largest packet other than PUBLISH accepted (CONNACK, SUBACK, DISCONNECT, …): with no
   * payload, its size is its properties and reason codes.
   */
  maxControlPacketBytes: number;
}

/** What an MQTT 5 message carried when its properties were cut to the limits. */
export interface PropertiesTruncation {
  /** Properties in the packet as sent. */
  count: number;
  /** Bytes of its property section as sent. */
  bytes: number;
}
