-- AlterTable
ALTER TABLE "Video" ADD COLUMN     "posterPath" TEXT;

-- CreateTable
CREATE TABLE "PosterRender" (
    "videoId" TEXT NOT NULL,
    "atMs" INTEGER NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "PosterRender_pkey" PRIMARY KEY ("videoId")
);

-- AddForeignKey
ALTER TABLE "PosterRender" ADD CONSTRAINT "PosterRender_videoId_fkey" FOREIGN KEY ("videoId") REFERENCES "Video"("id") ON DELETE CASCADE ON UPDATE CASCADE;
