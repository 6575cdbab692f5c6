import { join } from 'node:path';
import {
  Menu,
  type MenuItemConstructorOptions,
  type NativeImage,
  nativeImage,
  nativeTheme,
  Tray,
} from 'electron';
import type { Logger } from './daemon/logger';
import { trayIconFile } from './host/tray-icon';
import type { TrayAction, TrayMenuModel } from './host/tray-menu-model';

export interface TrayMenuOptions {
  /** Where the tray PNGs are (`build/tray` in the app). */
  iconDir: string;
  onAction: (action: TrayAction) => void;
  log: Logger;
}

/** The model's entries as an Electron menu template; clicks go to `onAction`. */
export function toMenuTemplate(
  model: TrayMenuModel,
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return model.entries.map((entry): MenuItemConstructorOptions => {
    if (entry.type === 'separator') return { type: 'separator' };
    const { action } = entry;
    return {
      label: entry.label,
      enabled: entry.enabled,
      click: action ? () => onAction(action) : undefined,
    };
  });
}

/**
 * The tray icon and its menu. The menu is rebuilt only when the model changed: some Linux
 * panels close an open menu when it is replaced.
 */
export class TrayMenu {
  private readonly tray: Tray;
  private renderedKey = '';
  private recording = false;
  private readonly onThemeChange = () => this.tray.setImage(this.icon());

  constructor(private readonly options: TrayMenuOptions) {
    this.tray = new Tray(this.icon());
    nativeTheme.on('updated', this.onThemeChange);
    // macOS opens the menu on click; elsewhere a click (when it arrives) opens the dashboard.
    if (process.platform !== 'darwin') {
      this.tray.on('click', () => options.onAction({ kind: 'open-dashboard' }));
    }
  }

  render(model: TrayMenuModel): void {
    const key = JSON.stringify(model);
    if (key === this.renderedKey) return;
    this.renderedKey = key;

    this.tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model, this.options.onAction)));
    this.tray.setToolTip(model.tooltip);
    if (model.recording !== this.recording) {
      this.recording = model.recording;
      this.tray.setImage(this.icon());
    }
  }

  destroy(): void {
    nativeTheme.removeListener('updated', this.onThemeChange);
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }

  private icon(): NativeImage {
    const file = trayIconFile({
      platform: process.platform,
      darkTheme: nativeTheme.shouldUseDarkColors,
      recording: this.recording,
    });
    const image = nativeImage.createFromPath(join(this.options.iconDir, file));
    if (image.isEmpty()) this.options.log.warn({ file }, 'TrayMenu - tray icon missing');
    return image;
  }
}
