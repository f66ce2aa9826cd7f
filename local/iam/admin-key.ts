// The access key of callers that are not functions (the ops CLI, the local bootstrap): the local
// IAM proxies let it through, as an administrator's credentials would be in AWS.
export const LOCAL_ADMIN_ACCESS_KEY = 'local-admin';
