// Types for server.mjs, so the TypeScript harness (test/**) can import it under `strict`.
export declare const runDir: string;
export declare const DEFAULT_USER_SETTINGS: Record<string, unknown>;
export declare function freePort(port?: number): Promise<number>;
export declare function freePortFrom(preferred: number, tries?: number): Promise<number>;

export interface StartOptions {
  workspace: string;
  smokeTestDriver: boolean;
  label?: string;
  fresh?: boolean;
  port?: number;
  extensionsDir?: string;
  userDataDir?: string;
  installVsix?: string;
  userSettings?: Record<string, unknown>;
  gallery?: boolean;
  env?: Record<string, string>;
  inheritOutput?: boolean;
}

export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  logFile: string;
  userDataDir: string;
  extensionsDir: string;
  /** resolves with the exit code when the code-server process ends (crash or stop()) */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export declare function startCodeServer(o: StartOptions): Promise<CodeServer>;
