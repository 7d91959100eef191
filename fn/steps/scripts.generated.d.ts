// Types of scripts.generated.js, which scripts/compile-steps.mjs writes from fn/steps/*.sh.

/** The text of each fn/steps/*.sh, by file name. */
export declare const STEP_SCRIPTS: Readonly<Record<string, string>>;
/** 10 hex characters of SHA-256 over STEP_SCRIPTS: part of the ConfigMap's name. */
export declare const STEP_SCRIPTS_HASH: string;
