/**
 * The large heatmap's picture: above `HEATMAP_RECT_LIMIT` cells the explorer draws the
 * filters × positions heatmap as one image instead of rectangles (explorerViews.ts places it), in
 * the colours the rectangles would have (`activationColors`, Vega's own scale).
 */
import type { LayerData } from './compute';
import { loadPictureColors, paintPicture } from './embed';
import { activationColors, type HeatmapImage } from './explorerViews';

/**
 * A layer's heatmap as a picture: a row per filter, a column per output position.
 *
 * @param layer - the layer's data
 * @returns the picture, for `explorerSpec`'s `heatmapImage`
 */
export async function heatmapImage(layer: LayerData): Promise<HeatmapImage> {
  const vega = await loadPictureColors();
  const { filters } = layer.info;
  const values = new Float32Array(filters * layer.length);
  for (let p = 0; p < layer.length; p++) {
    for (let f = 0; f < filters; f++) {
      values[f * layer.length + p] = layer.activations[p * filters + f];
    }
  }
  return { url: paintPicture(vega, values, filters, layer.length, activationColors(layer)) };
}
