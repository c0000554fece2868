-- AlterTable
ALTER TABLE "Video" ADD COLUMN     "tokenEpoch" INTEGER NOT NULL DEFAULT 0;
