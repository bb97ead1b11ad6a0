// Types of bin/cli-bundle.mjs for scripts/build-cli.ts and its test.
export declare const CLI_BUNDLE: string;
export declare function manifestPath(bundle: string): string;
export declare function freshCliBundle(bundle?: string): string | undefined;
