import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ModelFileFactory } from './modelFileWidget';
import { applySettings } from './settings';

/**
 * Loads the user's settings (`schema/plugin.json`) and keeps them current for the renderers.
 */
const settingsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'conv1d-explorer:plugin',
  description: 'Settings of the Conv1D explorer.',
  autoStart: true,
  optional: [ISettingRegistry],
  activate: async (_app: JupyterFrontEnd, registry: ISettingRegistry | null) => {
    if (!registry) {
      return;
    }
    const settings = await registry.load(settingsPlugin.id);
    applySettings(settings.composite);
    settings.changed.connect(() => applySettings(settings.composite));
  }
};

/** The name of the "Open With" entry for model files. */
export const MODEL_FILE_FACTORY = 'Conv1D Explorer';

/**
 * Adds "Open With → Conv1D Explorer" to JSON files: a tfjs `model.json` opens in the
 * explorer, with a sequence typed into the view and no kernel.
 */
const modelFilePlugin: JupyterFrontEndPlugin<void> = {
  id: 'conv1d-explorer:model-file',
  description: 'Opens a TensorFlow.js model.json in the Conv1D explorer.',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    const contents = app.serviceManager.contents;
    const factory = new ModelFileFactory(
      { name: MODEL_FILE_FACTORY, label: MODEL_FILE_FACTORY, fileTypes: ['json'], readOnly: true },
      async (path, format) =>
        String((await contents.get(path, { type: 'file', format, content: true })).content)
    );
    app.docRegistry.addWidgetFactory(factory);
  }
};

export default [settingsPlugin, modelFilePlugin];
