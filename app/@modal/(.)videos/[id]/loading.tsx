import { ModalSkeleton } from '@/components/player/ModalSkeleton'

export default function Loading() {
  return <ModalSkeleton />
}
