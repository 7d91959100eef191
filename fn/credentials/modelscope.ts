// ModelScope secret (data key MODELSCOPE_API_TOKEN): the token by reference, for modelscope:// downloads.
import { tokenByReference } from './kind';

export const MODELSCOPE_API_TOKEN = 'MODELSCOPE_API_TOKEN';

export const modelscopeCredentials = tokenByReference(MODELSCOPE_API_TOKEN);
