-- CreateEnum
CREATE TYPE "RoomMode" AS ENUM ('remote', 'together');

-- CreateEnum
CREATE TYPE "RoomControl" AS ENUM ('host', 'everyone');

-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "control" "RoomControl" NOT NULL DEFAULT 'host',
ADD COLUMN     "guests" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "inviteToken" TEXT,
ADD COLUMN     "mode" "RoomMode" NOT NULL DEFAULT 'remote',
ADD COLUMN     "waitMs" INTEGER NOT NULL DEFAULT 3000;

-- CreateTable
CREATE TABLE "RoomMember" (
    "roomId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoomMember_pkey" PRIMARY KEY ("roomId","userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Room_inviteToken_key" ON "Room"("inviteToken");

-- CreateIndex
CREATE INDEX "RoomMember_userId_idx" ON "RoomMember"("userId");

-- AddForeignKey
ALTER TABLE "RoomMember" ADD CONSTRAINT "RoomMember_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoomMember" ADD CONSTRAINT "RoomMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
