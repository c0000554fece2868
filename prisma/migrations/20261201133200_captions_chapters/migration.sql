-- CreateEnum
CREATE TYPE "CaptionKind" AS ENUM ('SUBTITLES', 'CAPTIONS');

-- AlterTable
ALTER TABLE "Content" ADD COLUMN     "textTracks" JSONB;

-- AlterTable
ALTER TABLE "Video" ADD COLUMN     "chapters" JSONB;

-- CreateTable
CREATE TABLE "Caption" (
    "id" TEXT NOT NULL,
    "videoId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "kind" "CaptionKind" NOT NULL DEFAULT 'SUBTITLES',
    "vtt" TEXT NOT NULL,
    "sourceStream" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Caption_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Caption_videoId_createdAt_idx" ON "Caption"("videoId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Caption_videoId_sourceStream_key" ON "Caption"("videoId", "sourceStream");

-- AddForeignKey
ALTER TABLE "Caption" ADD CONSTRAINT "Caption_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;
