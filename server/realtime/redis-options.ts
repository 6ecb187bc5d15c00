/** The Redis connection settings every Redis client of a process shares. */

/** ioredis options from REDIS_URL, with every key under the deployment's prefix. */
export function redisOptions(url: string, keyPrefix: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === "rediss:" ? {} : undefined,
    keyPrefix,
  };
}
