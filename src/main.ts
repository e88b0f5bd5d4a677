// The roam binary's entry point: `roam agent …` runs an agent, every other command is the CLI.
console.log('roam');
