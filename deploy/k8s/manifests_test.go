package k8s

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Names the manifests agree on; the tests check each against the others
// rather than trusting these alone where they can.
const (
	secretName     = "shoal-token"
	headName       = "shoal-head"
	nodesService   = "shoal-nodes"
	workerName     = "shoal-worker"
	tokenEnv       = "SHOAL_TOKEN"
	shoalBinary    = "/usr/local/bin/shoal"
	nonRootUID     = 65532
	minProcessRoom = 1 << 30 // memory a node keeps beside its object store
)

// The CLI contract (issue 6): `shoal start` flags for a head and for a
// worker, each mapped to whether it takes a value.
var (
	headFlags = map[string]bool{
		"head": false, "port": true, "dashboard-port": true, "object-store-memory": true,
		"num-cpus": true, "bind": true, "token-file": true, "block": false,
		"tls-cert": true, "tls-key": true,
	}
	workerFlags = map[string]bool{
		"address": true, "token-file": true, "port": true, "num-cpus": true,
		"object-store-memory": true, "bind": true, "block": false,
	}
)

// cluster is every object of the manifests, by name.
type cluster struct {
	files         []string // the YAML files read
	secrets       map[string]secret
	services      map[string]service
	deployments   map[string]deployment
	statefulSets  map[string]statefulSet
	kustomization *kustomization
	objects       []string // "file: apiVersion Kind/name", in file order
}

// decodeStrict decodes one YAML document, refusing fields out is missing.
func decodeStrict(doc []byte, out any) error {
	dec := yaml.NewDecoder(bytes.NewReader(doc))
	dec.KnownFields(true)
	return dec.Decode(out)
}

// documents splits a YAML stream into its non-empty documents, each
// re-encoded on its own, with the kind and apiVersion each declares.
func documents(data []byte) ([][]byte, []typeMeta, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs [][]byte
	var metas []typeMeta
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, metas, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if len(n.Content) == 0 || n.Content[0].Kind == yaml.ScalarNode && n.Content[0].Tag == "!!null" {
			continue
		}
		var tm typeMeta
		if err := n.Decode(&tm); err != nil {
			return nil, nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		doc, err := yaml.Marshal(&n)
		if err != nil {
			return nil, nil, err
		}
		docs = append(docs, doc)
		metas = append(metas, tm)
	}
}

func loadCluster(t *testing.T) *cluster {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in deploy/k8s: %v", err)
	}
	c := &cluster{
		files:        files,
		secrets:      map[string]secret{},
		services:     map[string]service{},
		deployments:  map[string]deployment{},
		statefulSets: map[string]statefulSet{},
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		docs, metas, err := documents(data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i, doc := range docs {
			var name string
			var err error
			switch metas[i].Kind {
			case "Secret":
				var o secret
				err, name = decodeStrict(doc, &o), o.Metadata.Name
				c.secrets[name] = o
				c.checkNamespace(t, file, o.Metadata)
			case "Service":
				var o service
				err, name = decodeStrict(doc, &o), o.Metadata.Name
				c.services[name] = o
				c.checkNamespace(t, file, o.Metadata)
			case "Deployment":
				var o deployment
				err, name = decodeStrict(doc, &o), o.Metadata.Name
				c.deployments[name] = o
				c.checkNamespace(t, file, o.Metadata)
			case "StatefulSet":
				var o statefulSet
				err, name = decodeStrict(doc, &o), o.Metadata.Name
				c.statefulSets[name] = o
				c.checkNamespace(t, file, o.Metadata)
			case "Kustomization":
				var o kustomization
				err = decodeStrict(doc, &o)
				c.kustomization = &o
			default:
				t.Errorf("%s: document %d has kind %q, which no test checks", file, i, metas[i].Kind)
				continue
			}
			if err != nil {
				t.Errorf("%s: %s %s: %v", file, metas[i].Kind, name, err)
			}
			c.objects = append(c.objects, fmt.Sprintf("%s: %s %s/%s", file, metas[i].APIVersion, metas[i].Kind, name))
		}
	}
	return c
}

// The manifests are namespace-free: they go wherever they are applied.
func (c *cluster) checkNamespace(t *testing.T, file string, m objectMeta) {
	if m.Namespace != "" {
		t.Errorf("%s: %s sets namespace %q; the manifests must be namespace-free", file, m.Name, m.Namespace)
	}
}

func TestManifestsParse(t *testing.T) {
	c := loadCluster(t)
	want := []string{
		"head.yaml: apps/v1 Deployment/shoal-head",
		"kustomization.yaml: kustomize.config.k8s.io/v1beta1 Kustomization/",
		"secret.yaml: v1 Secret/shoal-token",
		"services.yaml: v1 Service/shoal-head",
		"services.yaml: v1 Service/shoal-nodes",
		"workers.yaml: apps/v1 StatefulSet/shoal-worker",
	}
	if !slices.Equal(c.objects, want) {
		t.Errorf("objects:\n%s\nwant:\n%s", strings.Join(c.objects, "\n"), strings.Join(want, "\n"))
	}
}

// The strict decoding really refuses what it does not know; otherwise the
// test above would pass on manifests Kubernetes rejects.
func TestStrictDecodingRefusesUnknownFields(t *testing.T) {
	var d deployment
	err := decodeStrict([]byte("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: x\n          readinesProbe: {}\n"), &d)
	if err == nil || !strings.Contains(err.Error(), "field readinesProbe not found") {
		t.Errorf("misspelt field: err = %v, want it refused", err)
	}
}

func TestKustomizationAppliesEverythingButTheSecret(t *testing.T) {
	c := loadCluster(t)
	if c.kustomization == nil {
		t.Fatal("no kustomization.yaml")
	}
	var want []string
	for _, f := range c.files {
		if f != "kustomization.yaml" && f != "secret.yaml" {
			want = append(want, f)
		}
	}
	got := slices.Sorted(slices.Values(c.kustomization.Resources))
	if !slices.Equal(got, want) {
		t.Errorf("kustomization resources %v, want %v (every manifest except the placeholder Secret)", got, want)
	}
	// The image it rewrites is the one the pods run.
	for _, pod := range nodePods(t, c) {
		for _, ctr := range pod.spec.Containers {
			name, _, _ := strings.Cut(ctr.Image, ":")
			found := false
			for _, img := range c.kustomization.Images {
				found = found || img.Name == name
			}
			if !found {
				t.Errorf("%s: image %q has no entry under the kustomization's images", pod.name, ctr.Image)
			}
		}
	}
}

// A pod is a pod template with where it came from.
type pod struct {
	name   string
	labels map[string]string
	spec   podSpec
}

// nodePods returns the head's and the workers' pod templates.
func nodePods(t *testing.T, c *cluster) []pod {
	t.Helper()
	head, ok := c.deployments[headName]
	if !ok {
		t.Fatalf("no Deployment %s", headName)
	}
	workers, ok := c.statefulSets[workerName]
	if !ok {
		t.Fatalf("no StatefulSet %s", workerName)
	}
	return []pod{
		{"Deployment " + headName, head.Spec.Template.Metadata.Labels, head.Spec.Template.Spec},
		{"StatefulSet " + workerName, workers.Spec.Template.Metadata.Labels, workers.Spec.Template.Spec},
	}
}

// the one container of a node pod.
func nodeContainer(t *testing.T, p pod) container {
	t.Helper()
	if len(p.spec.Containers) != 1 {
		t.Fatalf("%s has %d containers, want 1", p.name, len(p.spec.Containers))
	}
	return p.spec.Containers[0]
}

func fmtInt(p *int) string {
	if p == nil {
		return "unset"
	}
	return strconv.Itoa(*p)
}

func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func TestWorkloads(t *testing.T) {
	c := loadCluster(t)
	head := c.deployments[headName]
	if r := head.Spec.Replicas; r == nil || *r != 1 {
		t.Errorf("head replicas %s, want exactly 1", fmtInt(r))
	}
	if head.Spec.Strategy.Type != "Recreate" {
		t.Errorf("head strategy %q, want Recreate: a rolling update would run two heads at once", head.Spec.Strategy.Type)
	}
	if !selects(head.Spec.Selector.MatchLabels, head.Spec.Template.Metadata.Labels) {
		t.Errorf("head Deployment selector %v does not match its pods' labels %v", head.Spec.Selector.MatchLabels, head.Spec.Template.Metadata.Labels)
	}
	workers := c.statefulSets[workerName]
	if r := workers.Spec.Replicas; r == nil || *r < 1 {
		t.Errorf("worker replicas %s, want at least 1", fmtInt(r))
	}
	if !selects(workers.Spec.Selector.MatchLabels, workers.Spec.Template.Metadata.Labels) {
		t.Errorf("worker selector %v does not match its pods' labels %v", workers.Spec.Selector.MatchLabels, workers.Spec.Template.Metadata.Labels)
	}
	// Neither controller may adopt the other's pods.
	if selects(head.Spec.Selector.MatchLabels, workers.Spec.Template.Metadata.Labels) ||
		selects(workers.Spec.Selector.MatchLabels, head.Spec.Template.Metadata.Labels) {
		t.Error("the head's and the workers' selectors overlap")
	}
}

// flagSet is a parsed `shoal start` command line: flag name to value ("" for
// a boolean flag).
type flagSet map[string]string

// parseStart parses args as `start` followed by flags from allowed (name to
// whether it takes a value), in --name value or --name=value form, as Go's
// flag package accepts them.
func parseStart(args []string, allowed map[string]bool) (flagSet, error) {
	if len(args) == 0 || args[0] != "start" {
		return nil, fmt.Errorf("args %q do not begin with the start subcommand", args)
	}
	out := flagSet{}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			return nil, fmt.Errorf("argument %q is not a flag; start takes none", a)
		}
		name, val, hasVal := strings.Cut(a[2:], "=")
		takesValue, ok := allowed[name]
		if !ok {
			return nil, fmt.Errorf("flag --%s is not in the CLI contract", name)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("flag --%s given twice", name)
		}
		switch {
		case takesValue && !hasVal:
			if i+1 >= len(args) || strings.HasPrefix(args[i+1], "--") {
				return nil, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			val = args[i]
		case !takesValue && hasVal:
			return nil, fmt.Errorf("flag --%s takes no value, got %q", name, val)
		}
		out[name] = val
	}
	return out, nil
}

func TestParseStart(t *testing.T) {
	cases := []struct {
		allowed map[string]bool
		args    []string
		want    string // the error, or the parsed flags
	}{
		{headFlags, []string{"start", "--head", "--port", "6380", "--bind=0.0.0.0"}, "map[bind:0.0.0.0 head: port:6380]"},
		{workerFlags, []string{"stop"}, `args ["stop"] do not begin with the start subcommand`},
		{workerFlags, []string{"start", "--address", "h:1", "--head"}, "flag --head is not in the CLI contract"},
		{workerFlags, []string{"start", "--port"}, "flag --port needs a value"},
		{workerFlags, []string{"start", "--port", "--block"}, "flag --port needs a value"},
		{workerFlags, []string{"start", "--block=true"}, `flag --block takes no value, got "true"`},
		{workerFlags, []string{"start", "--port", "1", "--port=2"}, "flag --port given twice"},
		{workerFlags, []string{"start", "6380"}, `argument "6380" is not a flag; start takes none`},
	}
	for _, c := range cases {
		got, err := parseStart(c.args, c.allowed)
		s := fmt.Sprint(got)
		if err != nil {
			s = err.Error()
		}
		if s != c.want {
			t.Errorf("parseStart(%q) = %s, want %s", c.args, s, c.want)
		}
	}
}

// startFlags checks a node container runs shoal start and parses its flags.
func startFlags(t *testing.T, p pod, allowed map[string]bool) flagSet {
	t.Helper()
	ctr := nodeContainer(t, p)
	if !slices.Equal(ctr.Command, []string{shoalBinary}) {
		t.Errorf("%s: command %q, want [%s] (the image's binary)", p.name, ctr.Command, shoalBinary)
	}
	flags, err := parseStart(ctr.Args, allowed)
	if err != nil {
		t.Fatalf("%s: %v", p.name, err)
	}
	return flags
}

func TestCommandsFollowCLIContract(t *testing.T) {
	c := loadCluster(t)
	pods := nodePods(t, c)
	head := startFlags(t, pods[0], headFlags)
	worker := startFlags(t, pods[1], workerFlags)

	wantHead := flagSet{"head": "", "block": "", "bind": "0.0.0.0", "port": "6380", "dashboard-port": "8265"}
	for k, v := range wantHead {
		if got, ok := head[k]; !ok || got != v {
			t.Errorf("head: --%s = %q (given %v), want %q", k, got, ok, v)
		}
	}
	wantWorker := flagSet{"block": "", "bind": "0.0.0.0"}
	for k, v := range wantWorker {
		if got, ok := worker[k]; !ok || got != v {
			t.Errorf("worker: --%s = %q (given %v), want %q", k, got, ok, v)
		}
	}
	// Workers dial the head's Service at its gRPC port.
	host, port, ok := strings.Cut(worker["address"], ":")
	svc, found := c.services[host]
	if !ok || !found {
		t.Fatalf("worker --address %q is not SERVICE:PORT for a Service in the manifests", worker["address"])
	}
	if p := servicePortNamed(svc, "grpc"); p == nil || strconv.Itoa(p.Port) != port {
		t.Errorf("worker --address port %s is not Service %s's grpc port", port, host)
	}
	if host != headName {
		t.Errorf("worker --address host %q, want the head's Service %s", host, headName)
	}
	// The token comes from the environment, never a file in the image.
	for _, f := range []flagSet{head, worker} {
		if _, ok := f["token-file"]; ok {
			t.Errorf("--token-file given; pods take %s from the Secret", tokenEnv)
		}
	}
}

func servicePortNamed(s service, name string) *servicePort {
	for i := range s.Spec.Ports {
		if s.Spec.Ports[i].Name == name {
			return &s.Spec.Ports[i]
		}
	}
	return nil
}

// containerPortOf resolves a port given by number or by name in ctr.
func containerPortOf(ctr container, p intOrString) (int, bool) {
	for _, cp := range ctr.Ports {
		if (p.IsName && cp.Name == p.Str) || (!p.IsName && cp.ContainerPort == p.Int) {
			return cp.ContainerPort, true
		}
	}
	return 0, false
}

func TestHeadServiceExposesTheHeadsPorts(t *testing.T) {
	c := loadCluster(t)
	pods := nodePods(t, c)
	headPod, workerPod := pods[0], pods[1]
	flags := startFlags(t, headPod, headFlags)
	ctr := nodeContainer(t, headPod)

	svc, ok := c.services[headName]
	if !ok {
		t.Fatalf("no Service %s", headName)
	}
	if svc.Spec.Type != "ClusterIP" {
		t.Errorf("Service %s type %q, want ClusterIP (nothing exposed outside the cluster)", headName, svc.Spec.Type)
	}
	if !selects(svc.Spec.Selector, headPod.labels) {
		t.Errorf("Service %s selector %v does not select the head's pods %v", headName, svc.Spec.Selector, headPod.labels)
	}
	if selects(svc.Spec.Selector, workerPod.labels) {
		t.Errorf("Service %s selector %v also selects workers %v", headName, svc.Spec.Selector, workerPod.labels)
	}
	for name, flag := range map[string]string{"grpc": "port", "dashboard": "dashboard-port"} {
		sp := servicePortNamed(svc, name)
		if sp == nil {
			t.Errorf("Service %s has no port %q", headName, name)
			continue
		}
		want, _ := strconv.Atoi(flags[flag])
		if sp.Port != want {
			t.Errorf("Service %s port %s = %d, want --%s %d", headName, name, sp.Port, flag, want)
		}
		target := sp.TargetPort
		if target == (intOrString{}) {
			target = intOrString{Int: sp.Port}
		}
		if got, ok := containerPortOf(ctr, target); !ok || got != want {
			t.Errorf("Service %s port %s targets %+v, which is container port %d (found %v), want %d", headName, name, target, got, ok, want)
		}
		if sp.Protocol != "TCP" {
			t.Errorf("Service %s port %s protocol %q, want TCP", headName, name, sp.Protocol)
		}
	}
	if len(svc.Spec.Ports) != 2 {
		t.Errorf("Service %s has %d ports, want 2 (grpc, dashboard)", headName, len(svc.Spec.Ports))
	}
}

func TestProbesWatchTheNodePort(t *testing.T) {
	c := loadCluster(t)
	for i, p := range nodePods(t, c) {
		allowed := []map[string]bool{headFlags, workerFlags}[i]
		flags := startFlags(t, p, allowed)
		want, err := strconv.Atoi(flags["port"])
		if err != nil || want == 0 {
			t.Errorf("%s: --port %q: a probe needs a fixed port", p.name, flags["port"])
			continue
		}
		ctr := nodeContainer(t, p)
		for kind, pr := range map[string]*probe{"readiness": ctr.ReadinessProbe, "liveness": ctr.LivenessProbe} {
			if pr == nil || pr.TCPSocket == nil {
				t.Errorf("%s: no tcpSocket %s probe", p.name, kind)
				continue
			}
			if got, ok := containerPortOf(ctr, pr.TCPSocket.Port); !ok || got != want {
				t.Errorf("%s: %s probe on %+v = port %d, want --port %d", p.name, kind, pr.TCPSocket.Port, got, want)
			}
			if pr.PeriodSeconds <= 0 || pr.FailureThreshold <= 0 {
				t.Errorf("%s: %s probe period %d, threshold %d: set both", p.name, kind, pr.PeriodSeconds, pr.FailureThreshold)
			}
		}
	}
}

// Nodes bound to 0.0.0.0 advertise their hostname; it must resolve from
// every other pod.
func TestNodeHostnamesResolve(t *testing.T) {
	c := loadCluster(t)
	nodes, ok := c.services[nodesService]
	if !ok {
		t.Fatalf("no Service %s", nodesService)
	}
	if nodes.Spec.ClusterIP != "None" || !nodes.Spec.PublishNotReadyAddresses {
		t.Errorf("Service %s: clusterIP %q, publishNotReadyAddresses %v; want a headless service publishing starting pods",
			nodesService, nodes.Spec.ClusterIP, nodes.Spec.PublishNotReadyAddresses)
	}
	pods := nodePods(t, c)
	for _, p := range pods {
		if !selects(nodes.Spec.Selector, p.labels) {
			t.Errorf("Service %s selector %v misses %s's pods %v", nodesService, nodes.Spec.Selector, p.name, p.labels)
		}
		if !p.spec.SetHostnameAsFQDN {
			t.Errorf("%s: setHostnameAsFQDN is off, so the node would advertise a bare pod name", p.name)
		}
	}
	if h := pods[0].spec; h.Hostname == "" || h.Subdomain != nodesService {
		t.Errorf("head pod hostname %q subdomain %q, want a hostname under %s", h.Hostname, h.Subdomain, nodesService)
	}
	if got := c.statefulSets[workerName].Spec.ServiceName; got != nodesService {
		t.Errorf("StatefulSet %s serviceName %q, want %s", workerName, got, nodesService)
	}
}

// checkToken: every container takes SHOAL_TOKEN from the Secret's key and
// from nowhere else.
func checkToken(t *testing.T, where string, spec podSpec, sec secret) {
	t.Helper()
	for _, ctr := range slices.Concat(spec.InitContainers, spec.Containers) {
		n := 0
		for _, e := range ctr.Env {
			if e.Name != tokenEnv {
				continue
			}
			n++
			if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
				t.Errorf("%s container %s: %s is not taken from a Secret", where, ctr.Name, tokenEnv)
				continue
			}
			ref := e.ValueFrom.SecretKeyRef
			if _, ok := sec.StringData[ref.Key]; ref.Name != sec.Metadata.Name || !ok {
				t.Errorf("%s container %s: %s from secret %s key %s, want secret %s key token", where, ctr.Name, tokenEnv, ref.Name, ref.Key, sec.Metadata.Name)
			}
		}
		if n != 1 {
			t.Errorf("%s container %s sets %s %d times, want once", where, ctr.Name, tokenEnv, n)
		}
	}
}

func TestTokenComesFromTheSecret(t *testing.T) {
	c := loadCluster(t)
	sec, ok := c.secrets[secretName]
	if !ok {
		t.Fatalf("no Secret %s", secretName)
	}
	if sec.Type != "Opaque" || len(sec.StringData) != 1 || sec.StringData["token"] == "" || len(sec.Data) != 0 {
		t.Errorf("Secret %s: type %q, stringData keys %v; want Opaque with one key, token", secretName, sec.Type, slices.Collect(maps.Keys(sec.StringData)))
	}
	// The placeholder must not look like a usable token.
	if v := sec.StringData["token"]; !strings.HasPrefix(v, "REPLACE-") {
		t.Errorf("Secret %s holds %q; ship a placeholder, never a real token", secretName, v)
	}
	for _, p := range nodePods(t, c) {
		checkToken(t, p.name, p.spec, sec)
	}
}

// checkUnprivileged: no host namespaces, no escalation, no capabilities, no
// API credentials, no service-link variables.
func checkUnprivileged(t *testing.T, where string, spec podSpec) {
	t.Helper()
	if spec.HostNetwork || spec.HostPID || spec.HostIPC {
		t.Errorf("%s: uses a host namespace (network %v, pid %v, ipc %v)", where, spec.HostNetwork, spec.HostPID, spec.HostIPC)
	}
	if a := spec.AutomountServiceAccountToken; a == nil || *a {
		t.Errorf("%s: automountServiceAccountToken must be false; Shoal never calls the Kubernetes API", where)
	}
	if e := spec.EnableServiceLinks; e == nil || *e {
		t.Errorf("%s: enableServiceLinks must be false; links inject SHOAL_HEAD_* variables into Shoal's env namespace", where)
	}
	for _, ctr := range slices.Concat(spec.InitContainers, spec.Containers) {
		sc := ctr.SecurityContext
		if sc == nil {
			t.Errorf("%s container %s: no securityContext", where, ctr.Name)
			continue
		}
		if sc.Privileged != nil && *sc.Privileged {
			t.Errorf("%s container %s is privileged", where, ctr.Name)
		}
		if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Errorf("%s container %s: allowPrivilegeEscalation must be false", where, ctr.Name)
		}
		if !slices.Equal(sc.Capabilities.Drop, []string{"ALL"}) || len(sc.Capabilities.Add) != 0 {
			t.Errorf("%s container %s: capabilities drop %v add %v, want drop [ALL], add none", where, ctr.Name, sc.Capabilities.Drop, sc.Capabilities.Add)
		}
	}
}

func TestPodsAreUnprivileged(t *testing.T) {
	c := loadCluster(t)
	for _, p := range nodePods(t, c) {
		checkUnprivileged(t, p.name, p.spec)
		sc := p.spec.SecurityContext
		if sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != nonRootUID {
			t.Errorf("%s: runAsNonRoot must be true and runAsUser %d (the image's user), got user %s", p.name, nonRootUID, fmtInt(sc.RunAsUser))
		}
		if sc.SeccompProfile.Type != "RuntimeDefault" {
			t.Errorf("%s: seccompProfile %q, want RuntimeDefault", p.name, sc.SeccompProfile.Type)
		}
		ctr := nodeContainer(t, p)
		if ro := ctr.SecurityContext.ReadOnlyRootFilesystem; ro == nil || !*ro {
			t.Errorf("%s: readOnlyRootFilesystem must be true", p.name)
		}
	}
}

// parseQuantity parses a Kubernetes quantity ("2", "500m", "4Gi", "1G").
func parseQuantity(s string) (float64, error) {
	suffixes := []struct {
		s string
		m float64
	}{
		{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40},
		{"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"m", 1e-3},
	}
	mult := 1.0
	for _, suf := range suffixes {
		if strings.HasSuffix(s, suf.s) {
			s, mult = strings.TrimSuffix(s, suf.s), suf.m
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("quantity %q: not a non-negative number with a known suffix", s)
	}
	return v * mult, nil
}

// parseSize parses a CLI size as the contract writes them ("2GiB", "512MiB",
// or plain bytes).
func parseSize(s string) (float64, error) {
	for i, unit := range []string{"KiB", "MiB", "GiB", "TiB"} {
		if num, ok := strings.CutSuffix(s, unit); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("size %q: bad number", s)
			}
			return v * float64(uint64(1)<<(10*(i+1))), nil
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: want bytes or a number with KiB, MiB, GiB or TiB", s)
	}
	return float64(v), nil
}

func TestQuantityParsers(t *testing.T) {
	for in, want := range map[string]float64{"2": 2, "500m": 0.5, "4Gi": 4 << 30, "512Mi": 512 << 20, "1G": 1e9} {
		if got, err := parseQuantity(in); err != nil || got != want {
			t.Errorf("parseQuantity(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]float64{"2GiB": 2 << 30, "512MiB": 512 << 20, "1048576": 1 << 20} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"2Gb", "-1", "GiB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
	if _, err := parseQuantity("lots"); err == nil {
		t.Error(`parseQuantity("lots") accepted`)
	}
}

// checkResources: requests and limits for CPU and memory, requests within
// limits.
func checkResources(t *testing.T, where string, ctr container) (cpuLimit, memLimit float64) {
	t.Helper()
	lim := map[string]float64{}
	for _, res := range []string{"cpu", "memory"} {
		req, err1 := parseQuantity(ctr.Resources.Requests[res])
		l, err2 := parseQuantity(ctr.Resources.Limits[res])
		if ctr.Resources.Requests[res] == "" || ctr.Resources.Limits[res] == "" || err1 != nil || err2 != nil {
			t.Errorf("%s: %s request %q limit %q: both must be set (%v, %v)", where, res, ctr.Resources.Requests[res], ctr.Resources.Limits[res], err1, err2)
			continue
		}
		if req > l || l == 0 {
			t.Errorf("%s: %s request %v above limit %v", where, res, req, l)
		}
		lim[res] = l
	}
	return lim["cpu"], lim["memory"]
}

func TestResourcesMatchTheFlags(t *testing.T) {
	c := loadCluster(t)
	for i, p := range nodePods(t, c) {
		flags := startFlags(t, p, []map[string]bool{headFlags, workerFlags}[i])
		ctr := nodeContainer(t, p)
		cpuLimit, memLimit := checkResources(t, p.name, ctr)

		// The scheduler plans --num-cpus tasks at once; more than the CPU
		// limit would throttle them all.
		cpus, err := strconv.ParseFloat(flags["num-cpus"], 64)
		if err != nil || cpus != cpuLimit {
			t.Errorf("%s: --num-cpus %q, want the CPU limit %v", p.name, flags["num-cpus"], cpuLimit)
		}

		// The object store lives in the memory-backed /dev/shm volume.
		store, err := parseSize(flags["object-store-memory"])
		if err != nil {
			t.Errorf("%s: --object-store-memory: %v", p.name, err)
			continue
		}
		var shm string
		for _, m := range ctr.VolumeMounts {
			if m.MountPath == "/dev/shm" {
				shm = m.Name
			}
		}
		var vol *volume
		for j := range p.spec.Volumes {
			if p.spec.Volumes[j].Name == shm {
				vol = &p.spec.Volumes[j]
			}
		}
		if shm == "" || vol == nil || vol.EmptyDir == nil || vol.EmptyDir.Medium != "Memory" {
			t.Errorf("%s: /dev/shm is not a memory-backed emptyDir", p.name)
			continue
		}
		limit, err := parseQuantity(vol.EmptyDir.SizeLimit)
		if err != nil || limit < store {
			t.Errorf("%s: /dev/shm sizeLimit %q below --object-store-memory %s", p.name, vol.EmptyDir.SizeLimit, flags["object-store-memory"])
		}
		// Shared memory counts against the container's memory limit.
		if memLimit-store < minProcessRoom {
			t.Errorf("%s: memory limit %.0f leaves %.0f bytes beside a %.0f-byte object store, want at least %d", p.name, memLimit, memLimit-store, store, minProcessRoom)
		}
		// A read-only root needs somewhere to write spill files.
		tmp := false
		for _, m := range ctr.VolumeMounts {
			tmp = tmp || m.MountPath == "/tmp"
		}
		if !tmp {
			t.Errorf("%s: no volume at /tmp for spilled objects", p.name)
		}
	}
}

func TestDockerfileBuildsTheBinaryThePodsRun(t *testing.T) {
	data, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(data)
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if goVersion == nil {
		t.Fatal("go.mod has no go directive")
	}
	for _, want := range []string{
		"FROM golang:" + string(goVersion[1]) + "-", // the toolchain go.mod asks for
		"CGO_ENABLED=0 go build",
		"-o /out/shoal ./cmd/shoal",
		"FROM gcr.io/distroless/static-debian12:nonroot",
		"COPY --from=build /out/shoal " + shoalBinary + "\n",
		"USER " + strconv.Itoa(nonRootUID) + ":" + strconv.Itoa(nonRootUID) + "\n",
		`ENTRYPOINT ["` + shoalBinary + `"]`,
	} {
		if !strings.Contains(df, want) {
			t.Errorf("deploy/Dockerfile lacks %q", want)
		}
	}
	expose := regexp.MustCompile(`(?m)^EXPOSE (.*)$`).FindStringSubmatch(df)
	if expose == nil {
		t.Fatal("deploy/Dockerfile exposes no port")
	}
	c := loadCluster(t)
	for _, p := range nodePods(t, c) {
		for _, cp := range nodeContainer(t, p).Ports {
			if !slices.Contains(strings.Fields(expose[1]), strconv.Itoa(cp.ContainerPort)) {
				t.Errorf("%s port %d is not in the Dockerfile's EXPOSE %s", p.name, cp.ContainerPort, expose[1])
			}
		}
	}
}

var yamlBlockRE = regexp.MustCompile("(?s)```yaml\n(.*?)```")

func TestGuide(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(data)
	c := loadCluster(t)
	for _, f := range c.files {
		if !strings.Contains(guide, "`"+f+"`") {
			t.Errorf("the guide does not mention %s", f)
		}
	}
	// The steps, with the names the manifests use.
	for _, want := range []string{
		"docker build -f deploy/Dockerfile",
		"kubectl create secret generic " + secretName + " --from-literal=token=\"$(openssl rand -hex 32)\"",
		"kubectl apply -k deploy/k8s",
		"kubectl port-forward service/" + headName + " 8265:8265",
		"kubectl get secret " + secretName + " -o jsonpath='{.data.token}'",
		"http://127.0.0.1:8265/?token=",
		headName + ":6380",
		"kubectl scale statefulset/" + workerName + " --replicas=",
		"kubectl rollout status statefulset/" + workerName,
		"kubectl rollout status deployment/" + headName,
	} {
		if !strings.Contains(guide, want) {
			t.Errorf("the guide lacks %q", want)
		}
	}
	// Its example driver Job follows the same rules as the nodes.
	blocks := yamlBlockRE.FindAllStringSubmatch(guide, -1)
	if len(blocks) != 1 {
		t.Fatalf("the guide has %d yaml blocks, want 1 (the driver Job)", len(blocks))
	}
	var j job
	if err := decodeStrict([]byte(blocks[0][1]), &j); err != nil {
		t.Fatalf("the guide's driver Job: %v", err)
	}
	if j.APIVersion != "batch/v1" || j.Kind != "Job" {
		t.Errorf("the guide's driver is %s %s, want batch/v1 Job", j.APIVersion, j.Kind)
	}
	spec := j.Spec.Template.Spec
	checkToken(t, "the guide's driver Job", spec, c.secrets[secretName])
	for _, ctr := range spec.Containers {
		checkResources(t, "the guide's driver Job", ctr)
		if !slices.Contains(ctr.Args, headName+":6380") {
			t.Errorf("the guide's driver args %q do not name the head %s:6380", ctr.Args, headName)
		}
	}
	if spec.HostNetwork || spec.HostPID || spec.HostIPC {
		t.Error("the guide's driver Job uses a host namespace")
	}
	if a := spec.AutomountServiceAccountToken; a == nil || *a {
		t.Error("the guide's driver Job mounts API credentials")
	}
}
