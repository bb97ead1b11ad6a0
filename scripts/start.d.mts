// Types of scripts/start.mjs for the TypeScript tests (test/electron-start.test.ts).
export type LaunchChoice = { mode: 'electron'; binary: string } | { mode: 'browser'; reason: string };
export declare const FALLBACK_MESSAGE: string;
export declare function chooseLauncher(resolveElectron: () => unknown, fileExists: (path: string) => boolean): LaunchChoice;
export declare function launchCommand(choice: LaunchChoice, args: readonly string[]): { command: string; args: string[] };
