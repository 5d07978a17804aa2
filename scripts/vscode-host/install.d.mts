// Types for install.mjs, so the TypeScript harness (test/**) can import it under `strict`.
export declare const NODE_VERSION: string;
export declare const CODE_SERVER_VERSION: string;
export declare const repoRoot: string;
export declare const cacheDir: string;
export declare function ensureVsCodeHost(): Promise<{ node24Bin: string; codeServerEntry: string }>;
