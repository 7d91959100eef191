// Types of scripts.generated.js, which scripts/compile-steps.mjs writes from fn/steps/*.sh.

/** fn/steps/prepare.sh: the trusted step before a downloader (lock, marker check, staging folder). */
export declare const PREPARE: string;
/** fn/steps/finalize.sh: the trusted step after a downloader (lock, rename into place, marker). */
export declare const FINALIZE: string;
/** fn/steps/download.sh: the downloader's wrapper (download image, credentials, staging folder only). */
export declare const DOWNLOAD: string;
/** fn/steps/cleanup.sh: daemonset mode's removal of unlisted model folders. */
export declare const CLEANUP: string;
/** fn/steps/node-label.sh: serveOnlyWhenReady's node-label step. */
export declare const NODE_LABEL: string;
