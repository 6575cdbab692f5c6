import type { Command } from './command';
import { connectCommand } from './connect';
import { cookiesCommand } from './cookies';
import { evalCommand } from './evaluate';
import { selectCommand, uploadCommand } from './forms';
import { getCommand } from './get';
import { inputCommand, keysCommand, typeCommand } from './keyboard';
import { backCommand, openCommand } from './navigation';
import { clickCommand, dblclickCommand, hoverCommand, rightclickCommand } from './pointer';
import { recordCommand } from './record';
import { screenshotCommand } from './screenshot';
import { scrollCommand } from './scroll';
import { stateCommand } from './state';
import { tabCommand } from './tab';
import { waitCommand } from './wait';

const ALL: Command[] = [
  connectCommand,
  openCommand,
  backCommand,
  stateCommand,
  clickCommand,
  dblclickCommand,
  rightclickCommand,
  hoverCommand,
  typeCommand,
  inputCommand,
  keysCommand,
  scrollCommand,
  screenshotCommand,
  evalCommand,
  getCommand,
  recordCommand,
  tabCommand,
  cookiesCommand,
  waitCommand,
  selectCommand,
  uploadCommand,
];

/** Every browser command by action name. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  ALL.map((command) => [command.action, command]),
);
