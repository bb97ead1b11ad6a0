import { useEffect, useState } from 'react';

/** A file made in the page, as a Blob object URL for a `download` link. */
interface Download {
  readonly url: string;
  readonly fileName: string;
}

/**
 * Holds one download link's object URL and revokes it when replaced or unmounted, so a
 * recording's text does not stay in memory after the link is gone.
 */
export function useDownload(): [Download | undefined, (fileName: string, text: string, type: string) => void] {
  const [download, setDownload] = useState<Download>();
  useEffect(() => {
    if (!download) return;
    return () => URL.revokeObjectURL(download.url);
  }, [download]);
  const make = (fileName: string, text: string, type: string): void => setDownload({ url: URL.createObjectURL(new Blob([text], { type })), fileName });
  return [download, make];
}

/** Save a file at once (a button press): a link made, clicked and dropped. */
export function saveFile(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; give it a moment before letting go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A chosen file's text (FileReader: also where `Blob.text()` is missing). */
export function readFileText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsText(file);
  });
}
