/**
 * The JupyterLab plugins: the settings (the tfjs backend) and the model-file viewers that
 * open a `model.json`, `.keras` or `.h5` file in the explorer.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import { ModelFileFactory, type ReadServerFile } from './modelFileWidget';
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
/** The factory for Keras' binary files; its menu entry reads `MODEL_FILE_FACTORY` too. */
export const BINARY_MODEL_FILE_FACTORY = 'Conv1D Explorer (Keras file)';

/** Keras' binary model files, read as base64 (the contents API's form for binary files). */
const KERAS_FILE_TYPES: Partial<DocumentRegistry.IFileType>[] = [
  { name: 'keras', displayName: 'Keras model', extensions: ['.keras'] },
  { name: 'hdf5', displayName: 'HDF5 file', extensions: ['.h5', '.hdf5'] }
];

/**
 * Adds "Open With → Conv1D Explorer" to JSON files and Keras' `.keras` and `.h5` files: a
 * tfjs `model.json` or a Keras model opens in the explorer, with a sequence typed into the
 * view and no kernel. The explorer is what opens a `.keras` file by default.
 */
const modelFilePlugin: JupyterFrontEndPlugin<void> = {
  id: 'conv1d-explorer:model-file',
  description:
    'Opens a TensorFlow.js model.json or a Keras .keras or .h5 file in the Conv1D explorer.',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    const contents = app.serviceManager.contents;
    const read: ReadServerFile = async (path, format) =>
      String((await contents.get(path, { type: 'file', format, content: true })).content);
    for (const type of KERAS_FILE_TYPES) {
      // Another extension may know these files already; its type is used as it is.
      if (!app.docRegistry.getFileType(type.name!)) {
        app.docRegistry.addFileType({
          ...type,
          mimeTypes: ['application/octet-stream'],
          fileFormat: 'base64',
          contentType: 'file'
        });
      }
    }
    app.docRegistry.addWidgetFactory(
      new ModelFileFactory(
        {
          name: MODEL_FILE_FACTORY,
          label: MODEL_FILE_FACTORY,
          fileTypes: ['json'],
          readOnly: true
        },
        read
      )
    );
    app.docRegistry.addWidgetFactory(
      new ModelFileFactory(
        {
          name: BINARY_MODEL_FILE_FACTORY,
          label: MODEL_FILE_FACTORY,
          fileTypes: KERAS_FILE_TYPES.map(t => t.name!),
          defaultFor: ['keras'],
          modelName: 'base64',
          readOnly: true
        },
        read
      )
    );
  }
};

export default [settingsPlugin, modelFilePlugin];
