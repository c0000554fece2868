// Demo content comes with the ingest pipeline; until then the gallery starts empty.
export async function seedDemoContent(_adminEmail: string): Promise<void> {}
