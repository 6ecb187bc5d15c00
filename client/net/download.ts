/**
 * Downloads a file (a PDF, the data export) the API only gives with the bearer token: a plain link
 * cannot send the Authorization header, so fetch it, then save the blob
 * through a temporary <a download>.
 */
import { refusal, send } from "./api.ts";

/** How long the object URL stays alive after the click, so the browser can read it. */
const REVOKE_AFTER_MS = 60_000;

export function downloadPdf(token: string, path: string, fallbackName: string): Promise<void> {
  return downloadFile(token, path, fallbackName, "application/pdf");
}

/** Any file the API gives with the bearer token (a PDF receipt, the JSON data export). */
export async function downloadFile(token: string, path: string, fallbackName: string, accept: string): Promise<void> {
  const response = await send("GET", path, { token, accept });
  if (!response.ok) throw await refusal(response);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filenameOf(response.headers.get("content-disposition")) ?? fallbackName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}

/** The filename of a Content-Disposition header, when it names a plain one. */
function filenameOf(header: string | null): string | null {
  const match = header ? /filename="?([^";]+)"?/i.exec(header) : null;
  const name = match?.[1]?.trim();
  return name && /^[\w.-]+$/.test(name) ? name : null;
}
