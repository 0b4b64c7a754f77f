package particlepolicy

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
)

const goroutines = 64

func TestManyGoroutinesDecideOnOnePolicyAtOnce(t *testing.T) {
	p := examplePolicy(t)
	devices := fleet(t)
	want, _ := p.DecideMany(devices)
	var wg sync.WaitGroup
	var decided atomic.Int64
	start := make(chan struct{})
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			<-start
			for round := 0; round < 50; round++ {
				if (g+round)%2 == 0 {
					got, _ := p.DecideMany(devices)
					for i := range got {
						if got[i] != want[i] {
							errs <- fmt.Errorf("goroutine %d: device %d: %v, want %v", g, i, got[i], want[i])
							return
						}
					}
				} else {
					for i, d := range devices {
						if got, _ := p.Decide(d); got != want[i] {
							errs <- fmt.Errorf("goroutine %d: device %d: %v, want %v", g, i, got, want[i])
							return
						}
					}
				}
				decided.Add(int64(len(devices)))
			}
		}(g)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := decided.Load(); n != goroutines*50*int64(len(devices)) {
		t.Errorf("%d decisions", n)
	}
}

func TestCloseWhileGoroutinesDecideWaitsThenFailsClosed(t *testing.T) {
	p, err := LoadPolicyFile(srcdir("examples", "policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	devices := fleet(t)
	want, _ := p.DecideMany(devices)
	var wg, running sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		running.Add(1)
		go func() {
			defer wg.Done()
			first := true
			for {
				got, err := p.DecideMany(devices)
				if errors.Is(err, ErrClosed) {
					for _, d := range got {
						if d.Outcome != OutcomeDeny || d.Privileges != 0 {
							errs <- fmt.Errorf("closed policy gave %v", d)
						}
					}
					if first {
						running.Done()
					}
					return
				}
				for i := range got {
					if got[i] != want[i] {
						errs <- fmt.Errorf("device %d: %v while closing", i, got[i])
						return
					}
				}
				if first {
					running.Done()
					first = false
				}
			}
		}()
	}
	running.Wait() // every goroutine has decided at least once
	p.Close()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestAddingToATeamWhileGoroutinesDecideWithIt(t *testing.T) {
	p := examplePolicy(t)
	team, _ := NewTeam()
	defer team.Close()
	var users []string
	for i := 0; i < 200; i++ {
		users = append(users, fmt.Sprintf("user%d@partner.example", i))
	}
	var wg, running sync.WaitGroup
	var stop atomic.Bool
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		running.Add(1)
		go func(g int) {
			defer wg.Done()
			for n := 0; n == 0 || !stop.Load(); n++ {
				d, err := p.DecideWithTeam(team, newcomer(users[g%len(users)]))
				if n == 0 {
					running.Done()
				}
				if err != nil || (d.Reason != ReasonOwnerIsTeamMember && d.Reason != ReasonOwnerNotTeamMember) {
					errs <- fmt.Errorf("%v, %v", d, err)
					return
				}
			}
		}(g)
	}
	running.Wait() // every goroutine is deciding before the first Add
	for _, u := range users {
		if err := team.Add("brightwater", u, RoleDeveloper); err != nil {
			t.Error(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if team.Len() != len(users) {
		t.Errorf("%d members", team.Len())
	}
	for _, u := range users {
		if d, _ := p.DecideWithTeam(team, newcomer(u)); d.Outcome != OutcomeAutoApprove {
			t.Errorf("%s: %v", u, d)
		}
	}
}

func TestManyGoroutinesAuthorizeAndAuditOnOnePolicyAtOnce(t *testing.T) {
	p := examplePolicy(t)
	devices := fleet(t)
	actors := []Actor{Human("dana@brightwater.example"), Human("fay@brightwater.example"),
		Human("hal@brightwater.example"), Human("kim@contractor.example"),
		Human("ivy@harborlabs.example"), APIUser("fleet-sync")}
	type question struct {
		actor  Actor
		action Action
		device *Device
	}
	var questions []question
	for _, a := range actors {
		for _, act := range Actions() {
			questions = append(questions, question{a, act, nil}, question{a, act, &devices[0]})
		}
	}
	want := make([]Authorization, len(questions))
	allowed := 0
	for i, q := range questions {
		want[i], _ = p.Authorize(q.actor, q.action, 14001, q.device)
		if want[i].Allowed {
			allowed++
		}
	}
	if allowed == 0 || allowed == len(questions) {
		t.Fatalf("%d of %d allowed: the questions do not tell answers apart", allowed, len(questions))
	}
	audit, err := p.Audit(AuditInput{Devices: devices})
	if err != nil || len(audit) == 0 {
		t.Fatal(audit, err)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			<-start
			for round := 0; round < 10; round++ {
				for i, q := range questions {
					if got, _ := p.Authorize(q.actor, q.action, 14001, q.device); got != want[i] {
						errs <- fmt.Errorf("goroutine %d: question %d: %v, want %v", g, i, got, want[i])
						return
					}
				}
				if g%4 == 0 {
					if got, err := p.Audit(AuditInput{Devices: devices}); err != nil || !reflect.DeepEqual(got, audit) {
						errs <- fmt.Errorf("goroutine %d: audit differs (%v)", g, err)
						return
					}
				}
			}
		}(g)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
