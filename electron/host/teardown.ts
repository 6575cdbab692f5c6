import type { Logger } from '../daemon/logger';

/**
 * Clean-up steps gathered as the app starts, run newest first when it ends (or when
 * start-up gives up). A failing step is logged and the others still run: the app must
 * still release its sockets and flush its log. Running twice runs nothing twice.
 */
export class Teardown {
  private readonly steps: Array<() => void> = [];

  constructor(private readonly log: Logger) {}

  add(step: () => void): void {
    this.steps.push(step);
  }

  run(): void {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        step();
      } catch (error) {
        this.log.error({ err: error }, 'Teardown - a clean-up step failed');
      }
    }
    this.log.flush();
  }
}
