/**
 * What EKS accepts as a cluster name (letters, digits, `-` and `_`, at most 100, starting with a
 * letter or digit). A successful call never names anything else: such a name is forged or corrupt,
 * and must not reach the state table (it would become a "deleted cluster" in the status API).
 */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$/;
