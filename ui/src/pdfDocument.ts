// The one place that uses pdf.js: opens a PDF's bytes and draws a page onto a canvas (WebKitGTK,
// the Linux window's engine, has no PDF viewer of its own). pdf.js is imported on first use, so
// the app does not load it until a preview opens; its worker is bundled by Vite as a file of its
// own (`?url`) and started from the app's own origin. Component tests replace this module.
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

/** An open PDF: its page count and a way to draw page `n` (1-based) at a CSS width. */
export interface PdfPages {
  numPages: number;
  render(n: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void>;
  destroy(): Promise<void>;
}

export async function openPdf(bytes: ArrayBuffer): Promise<PdfPages> {
  const pdfjs = await import("pdfjs-dist");
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  // pdf.js takes over (detaches) the buffer it is given; ours has no other use.
  const document = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false }).promise;
  return {
    numPages: document.numPages,
    async render(n, canvas, cssWidth) {
      const page = await document.getPage(n);
      const ratio = window.devicePixelRatio || 1;
      const unscaled = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (cssWidth / unscaled.width) * ratio });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
      canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
      await page.render({ canvas, viewport }).promise;
    },
    destroy: () => document.destroy(),
  };
}
