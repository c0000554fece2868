/** Largest accepted upload. The streaming config may lower it; 20 GiB covers long 4K recordings. */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 ** 3
