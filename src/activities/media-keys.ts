/** Whether a listed key is media the batch should transcribe (not a folder marker, extension allowed). */
export function isMediaKey(key: string, extensions: readonly string[]): boolean {
  if (key.endsWith('/')) return false;
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 && extensions.includes(name.slice(dot + 1).toLowerCase());
}
