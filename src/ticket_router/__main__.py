from ticket_router.cli import main

main()
