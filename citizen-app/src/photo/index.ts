export { compressPhoto, type CompressedPhoto } from './compress.ts';
export { fitToBudget, photoBudget, type EncodeSettings, type PhotoBudget } from './budget.ts';
export { takePhoto, chooseFromGallery, isCancellation } from './capture.ts';
