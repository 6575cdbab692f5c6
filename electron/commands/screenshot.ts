import { writeFile } from 'node:fs/promises';
import { extname, isAbsolute } from 'node:path';
import { z } from 'zod';
import { errorMessage, TrayError } from '../../shared/errors';
import { defineCommand } from './command';

type ImageFormat = 'png' | 'jpeg' | 'webp';

const FORMAT_BY_EXTENSION: Record<string, ImageFormat> = {
  '': 'png',
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.webp': 'webp',
};

/**
 * The image format a file name asks for. An extension Chromium cannot write is refused
 * rather than given PNG bytes under a name that says otherwise.
 */
function formatFor(path: string): ImageFormat {
  const extension = extname(path).toLowerCase();
  const format = FORMAT_BY_EXTENSION[extension];
  if (format) return format;
  throw new TrayError(
    'BAD_REQUEST',
    `screenshot: cannot write a ${extension} image; name the file .png, .jpg or .webp`,
  );
}

export const screenshotCommand = defineCommand({
  action: 'screenshot',
  params: z.object({
    path: z.string().min(1).optional(),
    full: z.boolean().default(false),
  }),
  async run({ browser }, { path, full }) {
    if (path !== undefined && !isAbsolute(path)) {
      throw new TrayError(
        'BAD_REQUEST',
        `screenshot: path must be absolute (the CLI resolves relative ones), got ${path}`,
      );
    }

    const format = path === undefined ? 'png' : formatFor(path);
    const page = browser.page;
    let clip: { x: number; y: number; width: number; height: number; scale: number } | undefined;
    if (full) {
      const metrics = await page.send('Page.getLayoutMetrics');
      const size = metrics.cssContentSize;
      clip = { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(size.height), scale: 1 };
    }
    const shot = await page.send('Page.captureScreenshot', {
      format,
      clip,
      captureBeyondViewport: full,
    });

    // Printed as is, so `btray screenshot | base64 -d > page.png` works.
    if (!path) return { screenshot: shot.data, format, _raw_text: shot.data };
    const bytes = Buffer.from(shot.data, 'base64');
    try {
      await writeFile(path, bytes);
    } catch (error) {
      throw new TrayError('FILE_ERROR', `screenshot: cannot write ${path}: ${errorMessage(error)}`);
    }
    return { path, size_bytes: bytes.length, _raw_text: `Saved ${path} (${bytes.length} bytes)` };
  },
});
