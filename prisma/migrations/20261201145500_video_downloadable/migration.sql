-- AlterTable
ALTER TABLE "Video" ADD COLUMN     "downloadable" BOOLEAN NOT NULL DEFAULT false;
