-- The type an original is served with is decided by the server from its bytes, never by the
-- uploader. Rows written before that rule hold whatever the upload claimed: one that is not among the
-- video types the server records, or whose file the pipeline refused, is served as a download from now on.
UPDATE "Content"
SET "mime" = 'application/octet-stream'
WHERE "state" = 'FAILED'
   OR "mime" NOT IN ('video/mp4', 'video/quicktime', 'video/webm', 'video/x-matroska', 'video/x-msvideo', 'video/mp2t', 'video/x-flv', 'video/ogg');
