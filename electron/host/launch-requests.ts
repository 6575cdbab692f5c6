/**
 * Requests to show the dashboard from outside: a second launch (`second-instance`), or
 * macOS re-opening the app from Finder or the Dock (`activate`). They may come while the
 * tray is still starting, before there is a window to show: such a request is held and
 * served as soon as the tray can show the dashboard, instead of being lost.
 */
export class LaunchRequests {
  private show: (() => void) | undefined;
  private held = false;

  request(): void {
    if (this.show) this.show();
    else this.held = true;
  }

  /** The tray is up: show the dashboard now if asked meanwhile, and at each request after. */
  attach(show: () => void): void {
    this.show = show;
    if (!this.held) return;
    this.held = false;
    show();
  }
}
