// ModelScope secret (data key MODELSCOPE_API_TOKEN): the token by reference, for modelscope:// downloads.
import type { KindBuilder } from './kind';
import { secretEnv } from './wiring';

export const MODELSCOPE_API_TOKEN = 'MODELSCOPE_API_TOKEN';

export const modelscopeCredentials: KindBuilder = (secret) => ({
  env: [secretEnv(MODELSCOPE_API_TOKEN, secret.name, MODELSCOPE_API_TOKEN)],
  volumes: [],
  volumeMounts: [],
  results: [],
});
