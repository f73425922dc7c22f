package cluster_test

import (
	"context"
	"fmt"
	"log"

	"github.com/shoaldata/shoal/runtime/cluster"
)

// A head, a node joining it, and a client reading the status and using the
// KV store, all on loopback ports picked by the system.
func Example() {
	ctx := context.Background()
	const token = "example-token"
	head, err := cluster.StartHead(ctx, cluster.HeadConfig{Port: 0, Token: token})
	if err != nil {
		log.Fatal(err)
	}
	defer head.Stop(ctx)
	node, err := cluster.StartNode(ctx, cluster.NodeConfig{HeadAddress: head.Addr(), Token: token, CPUs: 4, ObjectStoreBytes: 1 << 30})
	if err != nil {
		log.Fatal(err)
	}
	defer node.Stop(ctx)
	if err := node.WaitRegistered(ctx); err != nil {
		log.Fatal(err)
	}

	c, err := cluster.Dial(ctx, head.Addr(), token)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	st, err := c.Status(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range st.Nodes {
		fmt.Println(n.State, n.Resources.Cpus, "CPUs", n.Resources.ObjectStoreBytes>>20, "MiB")
	}
	added, _ := c.KVPut(ctx, "demo", "greeting", []byte("hello"), false)
	v, _ := c.KVGet(ctx, "demo", "greeting")
	fmt.Println(added, string(v))
	// Output:
	// ALIVE 4 CPUs 1024 MiB
	// true hello
}

// A driver's job, and a named actor that lives as long as it.
func ExampleClient_RegisterJob() {
	ctx := context.Background()
	head, err := cluster.StartHead(ctx, cluster.HeadConfig{Token: "t"})
	if err != nil {
		log.Fatal(err)
	}
	defer head.Stop(ctx)
	c, err := cluster.Dial(ctx, head.Addr(), "t")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	job, err := c.RegisterJob(ctx, cluster.JobSpec{Entrypoint: "example"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.RegisterActor(ctx, cluster.ActorSpec{Name: "counter", Class: "Counter", JobID: job.ID()}); err != nil {
		log.Fatal(err)
	}
	a, _ := c.LookupActor(ctx, "", "counter")
	fmt.Println(job.ID(), a.Name, a.State)
	job.Finish(ctx)
	_, err = c.LookupActor(ctx, "", "counter")
	fmt.Println(err)
	// Output:
	// 00000001 counter PENDING
	// cluster: looking up actor "counter": cluster: actor not found: "counter" in namespace ""
}
