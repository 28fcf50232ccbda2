from vmss_emulator.cli.main import main

main()
