/** The three visibilities as `<option>`s, for every form that sets one. */
export function VisibilityOptions() {
  return (
    <>
      <option value="PUBLIC">Public</option>
      <option value="UNLISTED">Unlisted</option>
      <option value="PRIVATE">Private</option>
    </>
  )
}
