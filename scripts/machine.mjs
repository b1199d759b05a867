// The programs the suite needs from the machine, found one way for scripts/check-env.mjs and for the tests.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first of `names` in the PATH directories (and in `extraDirs`), or null. */
function onPath(names, env, extraDirs = []) {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) for (const name of names) if (executable(join(dir, name))) return join(dir, name);
  return null;
}

/** A program the suite needs: where it is, or the sentence that says what is missing and how to install it. */
function program(variables, names, install, env, extraDirs) {
  for (const variable of variables) {
    const given = env[variable];
    if (!given) continue;
    return executable(given) ? { path: given } : { missing: `${variable}=${given} is not an executable file: point it at the binary, or unset it to use ${names[0]} on PATH.` };
  }
  const found = onPath(names, env, extraDirs);
  return found ? { path: found } : { missing: install };
}

/** Chromium for the browser tests (playwright-core drives it; it downloads no browser). */
export function findChromium(env = process.env) {
  return program(
    ['PALABRE_CHROMIUM', 'CHROMIUM_PATH'],
    ['chromium', 'chromium-browser'],
    'The browser tests need Chromium, which is not on PATH: install it (apt-get install chromium) or set PALABRE_CHROMIUM to a Chromium binary.',
    env,
  );
}

/** nginx for the reverse-proxy test (Debian keeps it in /usr/sbin, off a user's PATH). */
export function findNginx(env = process.env) {
  return program(
    ['PALABRE_NGINX'],
    ['nginx'],
    'The reverse-proxy test needs nginx, which is neither on PATH nor in /usr/sbin: install it (apt-get install nginx) or set PALABRE_NGINX to an nginx binary.',
    env,
    ['/usr/sbin', '/usr/local/sbin'],
  );
}

/** The path of a program the tests cannot run without; throws the install sentence otherwise. */
export function required(found) {
  if (found.missing) throw new Error(found.missing);
  return found.path;
}
