// Any other page closes the modal (a soft navigation keeps a slot's last page otherwise).
export default function NoModal() {
  return null
}
