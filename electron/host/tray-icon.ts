/** Which tray image to show; the files are made by scripts/make-icons.mjs into build/tray/. */
export interface TrayIconChoice {
  platform: NodeJS.Platform;
  /** The panel is dark (Electron's nativeTheme.shouldUseDarkColors). */
  darkTheme: boolean;
  /** Some session is recording: the icon carries a dot. */
  recording: boolean;
}

/**
 * macOS gets a template image (black and alpha), which the menu bar tints itself for
 * light, dark and highlighted states. Elsewhere the panel's theme picks the light glyph
 * (for dark panels) or the dark glyph (for light panels). A `@2x` file next to each is
 * picked up by Electron on high-density screens.
 */
export function trayIconFile(choice: TrayIconChoice): string {
  const state = choice.recording ? '-recording' : '';
  if (choice.platform === 'darwin') return `tray${state}Template.png`;
  return `tray${state}-${choice.darkTheme ? 'dark' : 'light'}.png`;
}
