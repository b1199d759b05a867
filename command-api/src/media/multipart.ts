import type { Request, Response } from 'express';
import multer from 'multer';
import { ProblemError } from '../http/problem.js';

/** Reads one file field of a multipart/form-data body into memory, with size limits; problems for every way it can go wrong. */
export async function readMultipartFile(request: Request, field: string, maxBytes: number): Promise<Buffer> {
  if (!request.is('multipart/form-data')) {
    throw new ProblemError(415, 'media.not_multipart', `Send the photo as multipart/form-data with a "${field}" field.`, [{ path: 'header.content-type', message: 'expected multipart/form-data' }]);
  }
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12 } }).single(field);
  await new Promise<void>((resolve, reject) => {
    upload(request, {} as Response, (error: unknown) => (error ? reject(toProblem(error, field, maxBytes)) : resolve()));
  });
  const file = (request as Request & { file?: { buffer: Buffer } }).file;
  if (!file) throw new ProblemError(400, 'media.missing_file', `No "${field}" file in the form.`, [{ path: `body.${field}`, message: 'required' }]);
  return file.buffer;
}

function toProblem(error: unknown, field: string, maxBytes: number): ProblemError {
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') {
      return new ProblemError(413, 'media.too_large', `A photo may be at most ${maxBytes / (1024 * 1024)} MB.`, [{ path: `body.${field}`, message: 'too large' }]);
    }
    return new ProblemError(400, 'media.bad_form', `The form is not valid: ${error.message}.`, [{ path: `body.${error.field ?? field}`, message: error.code }]);
  }
  return new ProblemError(400, 'media.bad_form', 'The multipart body could not be read.', [{ path: 'body', message: 'malformed multipart' }]);
}
