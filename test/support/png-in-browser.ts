// PNG files read back by the browser itself (the tests carry no image decoder): drawn on a canvas in a blank page.
import type { Page } from 'playwright-core';

/**
 * Runs in the page: a PNG given in base64 drawn on a canvas, whose 2D context it returns. A string, because the
 * tests are typed without the DOM.
 */
export const DRAW_PNG = `async (base64) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + base64;
  await image.decode();
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [image.width, image.height];
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  return context;
}`;

/** The red, green and blue of a PNG at each point, read in `page`. */
export async function pixelsAt(page: Page, png: Buffer, points: [number, number][]): Promise<number[][]> {
  const read = `async (base64, points) => {
    const context = await (${DRAW_PNG})(base64);
    return points.map(([x, y]) => [...context.getImageData(x, y, 1, 1).data.slice(0, 3)]);
  }`;
  return (await page.evaluate(
    `(${read})(${JSON.stringify(png.toString('base64'))}, ${JSON.stringify(points)})`,
  )) as number[][];
}
