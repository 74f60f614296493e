/**
 * Saves text as a file through a Blob URL and an <a download> (no data: URL,
 * nothing sent to the server). The URL is revoked a while later rather than at
 * once, since some browsers read it only after the click has returned.
 */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
