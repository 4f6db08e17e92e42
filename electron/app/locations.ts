/**
 * Where the app finds its own files. The bundle runs from dist/electron/
 * both in the checkout and inside the packaged app's asar, so the renderer
 * and preload are found next to it; seeds and the icon are extraResources
 * when packaged (electron-builder.yml) and top-level folders in the checkout.
 */
import { join } from 'node:path';

export type Locations = { rendererDir: string; preload: string; seedDir: string; icon: string };

export function appLocations(bundleDir: string, packaged: { resourcesPath: string } | null): Locations {
  const repo = join(bundleDir, '..', '..');
  return {
    rendererDir: join(bundleDir, '..', 'renderer'),
    preload: join(bundleDir, 'preload.cjs'),
    seedDir: packaged ? join(packaged.resourcesPath, 'seeds') : join(repo, 'seeds'),
    icon: packaged ? join(packaged.resourcesPath, 'icon.png') : join(repo, 'assets', 'icon.png'),
  };
}
