import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { applySettings } from './settings';

/**
 * Loads the user's settings (`schema/plugin.json`) and keeps them current for the renderers.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: 'conv1d-explorer:plugin',
  description: 'Settings of the Conv1D explorer.',
  autoStart: true,
  optional: [ISettingRegistry],
  activate: async (_app: JupyterFrontEnd, registry: ISettingRegistry | null) => {
    if (!registry) {
      return;
    }
    const settings = await registry.load(plugin.id);
    applySettings(settings.composite);
    settings.changed.connect(() => applySettings(settings.composite));
  }
};

export default plugin;
