// Types for vsix.mjs, so the TypeScript harness (test/**) can import it under `strict`.
export declare function packageVsix(o?: {
  extensionDir?: string;
  out?: string;
  build?: boolean;
}): Promise<string>;
