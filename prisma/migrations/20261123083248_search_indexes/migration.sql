-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "Video_visibility_views_idx" ON "Video"("visibility", "views");

-- CreateIndex
CREATE INDEX "Video_title_idx" ON "Video" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Video_description_idx" ON "Video" USING GIN ("description" gin_trgm_ops);
