// Hugging Face secret (data key HF_TOKEN): the token by reference, for hf:// downloads.
import { tokenByReference } from './kind';

export const HF_TOKEN = 'HF_TOKEN';

export const hfCredentials = tokenByReference(HF_TOKEN);
