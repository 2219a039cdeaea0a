import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

/** The automatic-update switch in the Help menu, shown only where updates can be installed. */
export interface UpdateSwitch {
  enabled: boolean;
  set(enabled: boolean): void;
}

const homepage = 'https://spanwise.dev';

/** Sets the application menu with the platform's usual roles; on macOS the app menu comes first. */
export function setAppMenu(updates: UpdateSwitch | null): void {
  const help: MenuItemConstructorOptions[] = [{ label: 'Spanwise Website', click: () => void shell.openExternal(homepage).catch(() => undefined) }];
  if (updates) {
    help.push(
      { type: 'separator' },
      { label: 'Check for Updates Automatically', type: 'checkbox', checked: updates.enabled, click: (item) => updates.set(item.checked) },
    );
  }
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: help },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
