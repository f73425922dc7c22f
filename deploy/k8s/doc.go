// Package k8s holds Shoal's Kubernetes manifests (the YAML files beside this
// one) and, in its test, their validation: every manifest parses with no
// unknown field, the Services select the right pods and expose the ports the
// commands use, the commands follow the CLI contract, the token comes from
// the Secret everywhere, and no pod is privileged or unbounded. It has no Go
// API.
package k8s
