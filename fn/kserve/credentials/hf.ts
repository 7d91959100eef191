// Hugging Face secret (data key HF_TOKEN): the token by reference, for hf:// downloads.
import type { KindBuilder } from './kind';
import { secretEnv } from './wiring';

export const HF_TOKEN = 'HF_TOKEN';

export const hfCredentials: KindBuilder = (secret) => ({
  env: [secretEnv(HF_TOKEN, secret.name, HF_TOKEN)],
  volumes: [],
  volumeMounts: [],
  results: [],
});
