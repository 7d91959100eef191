// Types of scripts.generated.js, which scripts/compile-steps.mjs writes from fn/steps/*.sh.

/** fn/steps/model-folder.sh: prepare and finalize of one model folder (trusted, no credentials). */
export declare const MODEL_FOLDER: string;
/** fn/steps/download.sh: the downloader's wrapper (download image, credentials, staging folder only). */
export declare const DOWNLOAD: string;
/** fn/steps/cleanup.sh: daemonset mode's removal of unlisted model folders. */
export declare const CLEANUP: string;
/** fn/steps/node-label.sh: serveOnlyWhenReady's node-label step. */
export declare const NODE_LABEL: string;
